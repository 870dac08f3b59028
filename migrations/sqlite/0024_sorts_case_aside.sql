-- The list sorts names, companies and e-mail addresses case aside, and one index per column
-- serves both that sort and the duplicate checks on `lower(…)`, as on PostgreSQL (its
-- migration 0029 says why).
DROP INDEX leads_sort_name;
CREATE INDEX leads_sort_name ON leads(lower(name), id) WHERE deleted_at IS NULL;
DROP INDEX leads_sort_company;
DROP INDEX leads_company_ci;
CREATE INDEX leads_sort_company ON leads(lower(company), id) WHERE deleted_at IS NULL;
DROP INDEX leads_email;
DROP INDEX leads_email_ci;
CREATE INDEX leads_sort_email ON leads(lower(email), id) WHERE deleted_at IS NULL;
ANALYZE leads_sort_name;
ANALYZE leads_sort_company;
ANALYZE leads_sort_email;
