-- The list sorted by a custom field walks one of these in the field's order and stops after
-- the page (server/list.rs, `Run::by_field`), instead of reading every value to sort it. A
-- number field's values sort by amount: they are kept as numbers too, in `number_value`,
-- filled when a value is written. Ties are by lead, so the lead ends both indexes; the first
-- also serves the list's filter by a field's value, as the index it replaces did.
ALTER TABLE lead_custom_values ADD COLUMN number_value REAL;
UPDATE lead_custom_values SET number_value = CAST(value AS REAL)
 WHERE field_id IN (SELECT id FROM custom_fields WHERE kind = 'number');
DROP INDEX lead_custom_values_field;
CREATE INDEX lead_custom_values_field ON lead_custom_values(field_id, value, lead_id);
CREATE INDEX lead_custom_values_number ON lead_custom_values(field_id, number_value, lead_id)
 WHERE number_value IS NOT NULL;
