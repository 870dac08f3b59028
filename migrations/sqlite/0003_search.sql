-- Full-text search over the fields people look leads up by (the list's search box and
-- GET /api/leads/search). An external-content FTS5 index: the text lives in `leads`, the
-- triggers keep the index in step in the writing transaction. Trashed leads stay indexed;
-- queries filter them out. Tags are searched through their own index (`lead_tags_tag`).
CREATE VIRTUAL TABLE leads_search USING fts5(
    name, title, company, email, phonenumber, city, state, zip, address,
    content = 'leads', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO leads_search (leads_search) VALUES ('rebuild');

CREATE TRIGGER leads_search_insert AFTER INSERT ON leads
BEGIN
    INSERT INTO leads_search (rowid, name, title, company, email, phonenumber, city, state, zip, address)
    VALUES (NEW.id, NEW.name, NEW.title, NEW.company, NEW.email, NEW.phonenumber, NEW.city, NEW.state, NEW.zip, NEW.address);
END;

CREATE TRIGGER leads_search_delete AFTER DELETE ON leads
BEGIN
    INSERT INTO leads_search (leads_search, rowid, name, title, company, email, phonenumber, city, state, zip, address)
    VALUES ('delete', OLD.id, OLD.name, OLD.title, OLD.company, OLD.email, OLD.phonenumber, OLD.city, OLD.state, OLD.zip, OLD.address);
END;

CREATE TRIGGER leads_search_update
AFTER UPDATE OF name, title, company, email, phonenumber, city, state, zip, address ON leads
BEGIN
    INSERT INTO leads_search (leads_search, rowid, name, title, company, email, phonenumber, city, state, zip, address)
    VALUES ('delete', OLD.id, OLD.name, OLD.title, OLD.company, OLD.email, OLD.phonenumber, OLD.city, OLD.state, OLD.zip, OLD.address);
    INSERT INTO leads_search (rowid, name, title, company, email, phonenumber, city, state, zip, address)
    VALUES (NEW.id, NEW.name, NEW.title, NEW.company, NEW.email, NEW.phonenumber, NEW.city, NEW.state, NEW.zip, NEW.address);
END;
