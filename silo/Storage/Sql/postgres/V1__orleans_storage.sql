-- Dispatch storage for the Orleans ADO.NET providers on PostgreSQL (15+): grain persistence,
-- clustering (membership) and reminders. Applied by Evolve (see StorageSchema.ApplyPostgres),
-- which holds an advisory lock meanwhile, so silos starting together migrate one at a time.
--
-- How Orleans uses this: each provider reads "SELECT QueryKey, QueryText FROM OrleansQuery" at
-- start-up and runs the stored text with named parameters (@Name, typed by Npgsql from the .NET
-- value: int -> integer, long -> bigint, string -> text, byte[] -> bytea, UTC DateTime ->
-- timestamptz); results are read by column name. Only the OrleansQuery table and the parameter /
-- result column names are fixed by Orleans; every other table and column name is ours. Result
-- columns are aliased in double quotes so they carry exactly the names Orleans asks for.
--
-- Every write that must be atomic is a single statement; where it spans two tables it is one
-- statement with data-modifying WITH clauses.
--
-- Never edit this file once released: Evolve checksums applied scripts. Add V2__... instead.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
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
    service_id      text        NOT NULL,
    state_name      text        NOT NULL,
    grain_id_n0     bigint      NOT NULL,
    grain_id_n1     bigint      NOT NULL,
    grain_id_ext    text        NOT NULL DEFAULT '',
    grain_id_hash   integer     NOT NULL,
    state_name_hash integer     NOT NULL,
    payload         bytea,
    version         integer     NOT NULL,
    modified_on     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dispatch_grain_state_identity
        UNIQUE (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_ext)
);

-- ---------------------------------------------------------------------------------------------
-- Clustering (membership); DeploymentId is ClusterOptions.ClusterId
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS dispatch_membership_version
(
    deployment_id text        NOT NULL PRIMARY KEY,
    version       integer     NOT NULL,
    modified_on   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS dispatch_membership
(
    deployment_id   text        NOT NULL REFERENCES dispatch_membership_version (deployment_id),
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- ---------------------------------------------------------------------------------------------
-- Reminders
-- ---------------------------------------------------------------------------------------------
-- grain_hash is the uint ring hash exactly as Orleans sends it: reinterpreted as a signed int.
-- The range queries compare it the same (signed) way Orleans chooses between them.
CREATE TABLE IF NOT EXISTS dispatch_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS dispatch_reminder_by_hash ON dispatch_reminder (service_id, grain_hash);

-- ---------------------------------------------------------------------------------------------
-- Query texts (dollar-quoted, so they are written exactly as they run)
-- ---------------------------------------------------------------------------------------------

-- Persistence. Every query gets GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash,
-- GrainTypeString (the state name), GrainIdExtensionString (may be NULL) and ServiceId.

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', $query$
SELECT payload AS "PayloadBinary",
       version AS "Version"
FROM dispatch_grain_state
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = coalesce(@GrainIdExtensionString, '');
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- First write (GrainStateVersion NULL): insert version 1 unless a row exists; a concurrent first
-- writer that loses on the unique constraint gets no row back. Later writes: compare-and-swap on
-- the version (a concurrent loser re-checks the version after the winner commits and matches
-- nothing). Only one of the two statements can match; at most one row in all.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', $query$
INSERT INTO dispatch_grain_state
    (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_ext,
     grain_id_hash, state_name_hash, payload, version)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''),
       @GrainIdHash, @GrainTypeHash, @PayloadBinary, 1
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING version AS "NewGrainStateVersion";

UPDATE dispatch_grain_state
SET payload = @PayloadBinary,
    version = version + 1,
    grain_id_hash = @GrainIdHash,
    state_name_hash = @GrainTypeHash,
    modified_on = now()
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version AS "NewGrainStateVersion";
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Clear keeps the row (payload NULL) and bumps the version, with the same version rules as a write.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', $query$
INSERT INTO dispatch_grain_state
    (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_ext,
     grain_id_hash, state_name_hash, payload, version)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''),
       @GrainIdHash, @GrainTypeHash, NULL, 1
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING version AS "NewGrainStateVersion";

UPDATE dispatch_grain_state
SET payload = NULL,
    version = version + 1,
    modified_on = now()
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version AS "NewGrainStateVersion";
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Used instead of ClearStorageKey when DeleteStateOnClear is set: removes the row if the version
-- still matches and answers old version + 1 (anything but the old version means success).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteStorageKey', $query$
DELETE FROM dispatch_grain_state
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = coalesce(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version + 1 AS "NewGrainStateVersion";
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Clustering.

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', $query$
WITH created AS (
    INSERT INTO dispatch_membership_version (deployment_id, version)
    VALUES (@DeploymentId, 0)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT CAST(count(*) AS integer) AS "Created" FROM created;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Lock the version row while it still holds @Version (a concurrent writer that got there first
-- makes this match nothing once it commits), insert the silo unless its row exists, and bump the
-- version only if the silo was inserted: all or nothing.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', $query$
WITH expected_version AS (
    SELECT deployment_id
    FROM dispatch_membership_version
    WHERE deployment_id = @DeploymentId
      AND version = @Version
    FOR UPDATE
), inserted AS (
    INSERT INTO dispatch_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
         suspect_times, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, coalesce(@SiloName, ''), coalesce(@HostName, ''),
           @Status, @ProxyPort, NULL, @StartTime, @IAmAliveTime
    FROM expected_version
    ON CONFLICT DO NOTHING
    RETURNING deployment_id
), bumped AS (
    UPDATE dispatch_membership_version AS v
    SET version = v.version + 1,
        modified_on = now()
    FROM inserted AS i
    WHERE v.deployment_id = i.deployment_id
    RETURNING v.version
)
SELECT CAST(count(*) AS integer) AS "Inserted" FROM bumped;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Same shape as the insert: lock the version row while it holds @Version, update the silo, bump
-- the version only if the silo row was updated.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', $query$
WITH expected_version AS (
    SELECT deployment_id
    FROM dispatch_membership_version
    WHERE deployment_id = @DeploymentId
      AND version = @Version
    FOR UPDATE
), updated AS (
    UPDATE dispatch_membership AS m
    SET status = @Status,
        suspect_times = @SuspectTimes,
        i_am_alive_time = @IAmAliveTime
    FROM expected_version AS e
    WHERE m.deployment_id = e.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
    RETURNING m.deployment_id
), bumped AS (
    UPDATE dispatch_membership_version AS v
    SET version = v.version + 1,
        modified_on = now()
    FROM updated AS u
    WHERE v.deployment_id = u.deployment_id
    RETURNING v.version
)
SELECT CAST(count(*) AS integer) AS "Updated" FROM bumped;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- The heartbeat is deliberately not versioned.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', $query$
UPDATE dispatch_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Always at least one row (the version row); StartTime NULL means "no such silo".
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', $query$
SELECT m.address AS "Address",
       m.port AS "Port",
       m.generation AS "Generation",
       m.silo_name AS "SiloName",
       m.host_name AS "HostName",
       m.status AS "Status",
       m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes",
       m.start_time AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime",
       v.version AS "Version"
FROM dispatch_membership_version AS v
LEFT JOIN dispatch_membership AS m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', $query$
SELECT m.address AS "Address",
       m.port AS "Port",
       m.generation AS "Generation",
       m.silo_name AS "SiloName",
       m.host_name AS "HostName",
       m.status AS "Status",
       m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes",
       m.start_time AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime",
       v.version AS "Version"
FROM dispatch_membership_version AS v
LEFT JOIN dispatch_membership AS m
       ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Two statements sent as one Npgsql batch: they run in one implicit transaction.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', $query$
DELETE FROM dispatch_membership WHERE deployment_id = @DeploymentId;
DELETE FROM dispatch_membership_version WHERE deployment_id = @DeploymentId;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- @Status is SiloStatus.Active (3).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', $query$
SELECT address AS "Address",
       proxy_port AS "ProxyPort",
       generation AS "Generation"
FROM dispatch_membership
WHERE deployment_id = @DeploymentId
  AND status = @Status
  AND proxy_port > 0;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Rows of silos that are not Active (3) and have not said they are alive since the cut-off.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', $query$
DELETE FROM dispatch_membership
WHERE deployment_id = @DeploymentId
  AND i_am_alive_time < @IAmAliveTime
  AND status <> 3;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Optional key; when present Orleans 10.4 prefers it to CleanupDefunctSiloEntriesKey: it reads the
-- table, picks dead (6) silos past the cut-off, then deletes each one only if the row still holds
-- exactly the values it read (a silo that changed in between is left alone).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', $query$
DELETE FROM dispatch_membership
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '');
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Reminders. Every query gets ServiceId.

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', $query$
INSERT INTO dispatch_reminder
    (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = EXCLUDED.start_time,
    period_ms = EXCLUDED.period_ms,
    grain_hash = EXCLUDED.grain_hash,
    version = dispatch_reminder.version + 1
RETURNING version AS "Version";
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', $query$
SELECT grain_id AS "GrainId",
       reminder_name AS "ReminderName",
       start_time AS "StartTime",
       period_ms AS "Period",
       version AS "Version"
FROM dispatch_reminder
WHERE service_id = @ServiceId
  AND grain_id = @GrainId;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', $query$
SELECT grain_id AS "GrainId",
       reminder_name AS "ReminderName",
       start_time AS "StartTime",
       period_ms AS "Period",
       version AS "Version"
FROM dispatch_reminder
WHERE service_id = @ServiceId
  AND grain_id = @GrainId
  AND reminder_name = @ReminderName;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Orleans picks this one when (int)BeginHash < (int)EndHash: the range does not wrap.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', $query$
SELECT grain_id AS "GrainId",
       reminder_name AS "ReminderName",
       start_time AS "StartTime",
       period_ms AS "Period",
       version AS "Version"
FROM dispatch_reminder
WHERE service_id = @ServiceId
  AND grain_hash > @BeginHash
  AND grain_hash <= @EndHash;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- And this one otherwise: the range wraps around the end of the (signed) ring.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', $query$
SELECT grain_id AS "GrainId",
       reminder_name AS "ReminderName",
       start_time AS "StartTime",
       period_ms AS "Period",
       version AS "Version"
FROM dispatch_reminder
WHERE service_id = @ServiceId
  AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', $query$
WITH deleted AS (
    DELETE FROM dispatch_reminder
    WHERE service_id = @ServiceId
      AND grain_id = @GrainId
      AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT CAST(count(*) AS integer) AS "Deleted" FROM deleted;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', $query$
DELETE FROM dispatch_reminder WHERE service_id = @ServiceId;
$query$) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
