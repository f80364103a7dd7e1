-- Audit log, second shape: where a request came from (refused attempts name the address) and what a change changed
-- (compact JSON {"before":{…},"after":{…}} of the fields that differ).
ALTER TABLE dispatch_audit ADD COLUMN IF NOT EXISTS address TEXT NULL;
ALTER TABLE dispatch_audit ADD COLUMN IF NOT EXISTS change TEXT NULL;
