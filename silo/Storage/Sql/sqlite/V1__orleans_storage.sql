-- Dispatch storage for the Orleans ADO.NET providers on SQLite: grain persistence, clustering
-- (membership) and reminders. Applied by Evolve (see StorageSchema.ApplySqlite).
--
-- How Orleans uses this: each provider reads "SELECT QueryKey, QueryText FROM OrleansQuery" at
-- start-up and runs the stored text with named parameters (@Name); results are read by column
-- name. Only the OrleansQuery table and the parameter / result column names are fixed by Orleans;
-- every other table and column name is ours.
--
-- Conventions:
--   * Datetimes are TEXT, exactly as Microsoft.Data.Sqlite writes a DateTime parameter
--     ('yyyy-MM-dd HH:mm:ss.FFFFFFF', UTC by convention). The text parses back to the same ticks
--     and sorts in time order, so "<" between two such values compares instants.
--   * No query opens an explicit transaction. A statement failing between BEGIN and COMMIT would
--     return the pooled connection with a transaction still open. Every write that must be atomic
--     is one statement (SQLite runs a statement atomically under the database write lock), and the
--     two membership writes that must also bump the membership version do so through triggers.
--   * Queries that must answer "did it work" run the write, then "SELECT changes()": the number of
--     rows the write itself changed (changes made by triggers are not counted).
--
-- Never edit this file once released: Evolve checksums applied scripts. Add V2__... instead.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

-- ---------------------------------------------------------------------------------------------
-- Grain persistence
-- ---------------------------------------------------------------------------------------------
-- One row per grain state. The identity is (service, state name, N0, N1, key extension): Orleans
-- sends no grain type, so two grain classes must not share a state name on the same service.
-- A NULL key extension is stored as '' so the UNIQUE constraint covers every row; it makes two
-- concurrent first writes of the same state collide instead of both inserting. The hashes are
-- kept for diagnostics only: the lookups do not depend on them, so changing the hasher cannot
-- hide a row.
CREATE TABLE IF NOT EXISTS dispatch_grain_state
(
    service_id      TEXT    NOT NULL,
    state_name      TEXT    NOT NULL,
    grain_id_n0     INTEGER NOT NULL,
    grain_id_n1     INTEGER NOT NULL,
    grain_id_ext    TEXT    NOT NULL DEFAULT '',
    grain_id_hash   INTEGER NOT NULL,
    state_name_hash INTEGER NOT NULL,
    payload         BLOB,
    version         INTEGER NOT NULL,
    modified_on     TEXT    NOT NULL,
    CONSTRAINT dispatch_grain_state_identity
        UNIQUE (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_ext)
);

-- ---------------------------------------------------------------------------------------------
-- Clustering (membership); DeploymentId is ClusterOptions.ClusterId
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS dispatch_membership_version
(
    deployment_id TEXT    NOT NULL PRIMARY KEY,
    version       INTEGER NOT NULL,
    modified_on   TEXT    NOT NULL
);

CREATE TABLE IF NOT EXISTS dispatch_membership
(
    deployment_id   TEXT    NOT NULL REFERENCES dispatch_membership_version (deployment_id),
    address         TEXT    NOT NULL,
    port            INTEGER NOT NULL,
    generation      INTEGER NOT NULL,
    silo_name       TEXT    NOT NULL,
    host_name       TEXT    NOT NULL,
    status          INTEGER NOT NULL,
    proxy_port      INTEGER NOT NULL,
    suspect_times   TEXT,
    start_time      TEXT    NOT NULL,
    i_am_alive_time TEXT    NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Every membership change that Orleans versions bumps the table version in the same statement:
-- inserting a silo, or updating its status / suspicions. The I-am-alive heartbeat only sets
-- i_am_alive_time and is deliberately not versioned, so it does not fire the update trigger.
CREATE TRIGGER IF NOT EXISTS dispatch_membership_inserted
AFTER INSERT ON dispatch_membership
BEGIN
    UPDATE dispatch_membership_version
    SET version = version + 1,
        modified_on = strftime('%Y-%m-%d %H:%M:%f', 'now')
    WHERE deployment_id = NEW.deployment_id;
END;

CREATE TRIGGER IF NOT EXISTS dispatch_membership_changed
AFTER UPDATE OF status, suspect_times ON dispatch_membership
BEGIN
    UPDATE dispatch_membership_version
    SET version = version + 1,
        modified_on = strftime('%Y-%m-%d %H:%M:%f', 'now')
    WHERE deployment_id = NEW.deployment_id;
END;

-- ---------------------------------------------------------------------------------------------
-- Reminders
-- ---------------------------------------------------------------------------------------------
-- grain_hash is the uint ring hash exactly as Orleans sends it: reinterpreted as a signed int.
-- The range queries compare it the same (signed) way Orleans chooses between them.
CREATE TABLE IF NOT EXISTS dispatch_reminder
(
    service_id    TEXT    NOT NULL,
    grain_id      TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    start_time    TEXT    NOT NULL,
    period_ms     INTEGER NOT NULL,
    grain_hash    INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS dispatch_reminder_by_hash ON dispatch_reminder (service_id, grain_hash);

-- ---------------------------------------------------------------------------------------------
-- Query texts
-- ---------------------------------------------------------------------------------------------

-- Persistence. Every query gets GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash,
-- GrainTypeString (the state name), GrainIdExtensionString (may be NULL) and ServiceId.

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT payload AS PayloadBinary,
       version AS Version
FROM dispatch_grain_state
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = ifnull(@GrainIdExtensionString, '''');
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- First write (GrainStateVersion NULL): insert version 1 unless a row exists. Later writes:
-- compare-and-swap on the version. Only one of the two statements can match; at most one row.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
INSERT INTO dispatch_grain_state
    (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_ext,
     grain_id_hash, state_name_hash, payload, version, modified_on)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, ifnull(@GrainIdExtensionString, ''''),
       @GrainIdHash, @GrainTypeHash, @PayloadBinary, 1, strftime(''%Y-%m-%d %H:%M:%f'', ''now'')
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING version AS NewGrainStateVersion;

UPDATE dispatch_grain_state
SET payload = @PayloadBinary,
    version = version + 1,
    grain_id_hash = @GrainIdHash,
    state_name_hash = @GrainTypeHash,
    modified_on = strftime(''%Y-%m-%d %H:%M:%f'', ''now'')
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = ifnull(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clear keeps the row (payload NULL) and bumps the version, with the same version rules as a write.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
INSERT INTO dispatch_grain_state
    (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_ext,
     grain_id_hash, state_name_hash, payload, version, modified_on)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, ifnull(@GrainIdExtensionString, ''''),
       @GrainIdHash, @GrainTypeHash, NULL, 1, strftime(''%Y-%m-%d %H:%M:%f'', ''now'')
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING version AS NewGrainStateVersion;

UPDATE dispatch_grain_state
SET payload = NULL,
    version = version + 1,
    modified_on = strftime(''%Y-%m-%d %H:%M:%f'', ''now'')
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = ifnull(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Used instead of ClearStorageKey when DeleteStateOnClear is set: removes the row if the version
-- still matches and answers old version + 1 (anything but the old version means success).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', '
DELETE FROM dispatch_grain_state
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = ifnull(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version + 1 AS NewGrainStateVersion;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clustering.

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', '
INSERT INTO dispatch_membership_version (deployment_id, version, modified_on)
VALUES (@DeploymentId, 0, strftime(''%Y-%m-%d %H:%M:%f'', ''now''))
ON CONFLICT (deployment_id) DO NOTHING;

SELECT changes() AS Created;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Inserts the silo only while the table version is still @Version; the insert trigger bumps the
-- version in the same statement. An existing row for this silo makes it insert (and bump) nothing.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', '
INSERT INTO dispatch_membership
    (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
     suspect_times, start_time, i_am_alive_time)
SELECT @DeploymentId, @Address, @Port, @Generation, ifnull(@SiloName, ''''), ifnull(@HostName, ''''),
       @Status, @ProxyPort, NULL, @StartTime, @IAmAliveTime
WHERE EXISTS (SELECT 1
              FROM dispatch_membership_version
              WHERE deployment_id = @DeploymentId
                AND version = @Version)
ON CONFLICT DO NOTHING;

SELECT changes() AS Inserted;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Updates the silo only while the table version is still @Version; the update trigger bumps the
-- version in the same statement.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', '
UPDATE dispatch_membership
SET status = @Status,
    suspect_times = @SuspectTimes,
    i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
  AND EXISTS (SELECT 1
              FROM dispatch_membership_version
              WHERE deployment_id = @DeploymentId
                AND version = @Version);

SELECT changes() AS Updated;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', '
UPDATE dispatch_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Always at least one row (the version row); StartTime NULL means "no such silo".
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', '
SELECT m.address AS Address,
       m.port AS Port,
       m.generation AS Generation,
       m.silo_name AS SiloName,
       m.host_name AS HostName,
       m.status AS Status,
       m.proxy_port AS ProxyPort,
       m.suspect_times AS SuspectTimes,
       m.start_time AS StartTime,
       m.i_am_alive_time AS IAmAliveTime,
       v.version AS Version
FROM dispatch_membership_version AS v
LEFT JOIN dispatch_membership AS m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', '
SELECT m.address AS Address,
       m.port AS Port,
       m.generation AS Generation,
       m.silo_name AS SiloName,
       m.host_name AS HostName,
       m.status AS Status,
       m.proxy_port AS ProxyPort,
       m.suspect_times AS SuspectTimes,
       m.start_time AS StartTime,
       m.i_am_alive_time AS IAmAliveTime,
       v.version AS Version
FROM dispatch_membership_version AS v
LEFT JOIN dispatch_membership AS m
       ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', '
DELETE FROM dispatch_membership WHERE deployment_id = @DeploymentId;
DELETE FROM dispatch_membership_version WHERE deployment_id = @DeploymentId;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- @Status is SiloStatus.Active (3).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', '
SELECT address AS Address,
       proxy_port AS ProxyPort,
       generation AS Generation
FROM dispatch_membership
WHERE deployment_id = @DeploymentId
  AND status = @Status
  AND proxy_port > 0;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Rows of silos that are not Active (3) and have not said they are alive since the cut-off.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', '
DELETE FROM dispatch_membership
WHERE deployment_id = @DeploymentId
  AND i_am_alive_time < @IAmAliveTime
  AND status <> 3;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Optional key; when present Orleans 10.4 prefers it to CleanupDefunctSiloEntriesKey: it reads the
-- table, picks dead (6) silos past the cut-off, then deletes each one only if the row still holds
-- exactly the values it read (a silo that changed in between is left alone).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', '
DELETE FROM dispatch_membership
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND ifnull(suspect_times, '''') = ifnull(@SuspectTimes, '''');
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Reminders. Every query gets ServiceId.

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', '
INSERT INTO dispatch_reminder
    (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = excluded.start_time,
    period_ms = excluded.period_ms,
    grain_hash = excluded.grain_hash,
    version = dispatch_reminder.version + 1
RETURNING version AS Version;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', '
SELECT grain_id AS GrainId,
       reminder_name AS ReminderName,
       start_time AS StartTime,
       period_ms AS Period,
       version AS Version
FROM dispatch_reminder
WHERE service_id = @ServiceId
  AND grain_id = @GrainId;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', '
SELECT grain_id AS GrainId,
       reminder_name AS ReminderName,
       start_time AS StartTime,
       period_ms AS Period,
       version AS Version
FROM dispatch_reminder
WHERE service_id = @ServiceId
  AND grain_id = @GrainId
  AND reminder_name = @ReminderName;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Orleans picks this one when (int)BeginHash < (int)EndHash: the range does not wrap.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', '
SELECT grain_id AS GrainId,
       reminder_name AS ReminderName,
       start_time AS StartTime,
       period_ms AS Period,
       version AS Version
FROM dispatch_reminder
WHERE service_id = @ServiceId
  AND grain_hash > @BeginHash
  AND grain_hash <= @EndHash;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- And this one otherwise: the range wraps around the end of the (signed) ring.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', '
SELECT grain_id AS GrainId,
       reminder_name AS ReminderName,
       start_time AS StartTime,
       period_ms AS Period,
       version AS Version
FROM dispatch_reminder
WHERE service_id = @ServiceId
  AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', '
DELETE FROM dispatch_reminder
WHERE service_id = @ServiceId
  AND grain_id = @GrainId
  AND reminder_name = @ReminderName
  AND version = @Version;

SELECT changes() AS Deleted;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', '
DELETE FROM dispatch_reminder WHERE service_id = @ServiceId;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
