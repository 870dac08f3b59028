-- The list sorts names, companies and e-mail addresses case aside ("alice" beside "Alice", not
-- after "Zoe"), as it already sorts tags. One index per column then serves both the sort and
-- the web forms' and conversion's duplicate checks, which compare `lower(…)`: two indexes fewer
-- for every write of a lead to keep (a reassignment writes an entry into each: migration 0028).
DROP INDEX leads_sort_name;
CREATE INDEX leads_sort_name ON leads(lower(name), id) WHERE deleted_at IS NULL;
DROP INDEX leads_sort_company;
DROP INDEX leads_company_ci;
CREATE INDEX leads_sort_company ON leads(lower(company), id) WHERE deleted_at IS NULL;
DROP INDEX leads_email;
DROP INDEX leads_email_ci;
CREATE INDEX leads_sort_email ON leads(lower(email), id) WHERE deleted_at IS NULL;
ANALYZE leads;
