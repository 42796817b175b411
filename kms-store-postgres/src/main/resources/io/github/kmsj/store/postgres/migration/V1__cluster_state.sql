-- kmsj cluster state, version 1: identities, hosts, applications, client records, and the one
-- function that records a batch of counted requests in one round trip (docs/POSTGRESQL.md).

-- An identity (HWID and one ePID per host-key group), by name: each host has its own unless hosts
-- are configured to share one name.
CREATE TABLE kmsj_identity (
  name text PRIMARY KEY,
  hwid bytea NOT NULL CHECK (length(hwid) = 8)
);

CREATE TABLE kmsj_identity_epid (
  name text NOT NULL REFERENCES kmsj_identity ON DELETE CASCADE,
  group_id text NOT NULL,
  epid text NOT NULL,
  PRIMARY KEY (name, group_id)
);

-- Every host that ever used the database, with its counters.
CREATE TABLE kmsj_host (
  host_id text PRIMARY KEY,
  identity text NOT NULL,
  started timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  requests bigint NOT NULL DEFAULT 0,
  commits bigint NOT NULL DEFAULT 0
);

-- One counter bumped by every batch: the order of commits (they are serialised, see kmsj_record).
CREATE SEQUENCE kmsj_change_seq;

-- An application's count table: its highest N policy sets the capacity 2 x N, which never shrinks.
CREATE TABLE kmsj_application (
  application_id uuid PRIMARY KEY,
  highest_policy integer NOT NULL CHECK (highest_policy BETWEEN 0 AND 1000),
  first_counted bigint NOT NULL
);

-- One record per (application, CMID), shared by every host. Times are UTC microseconds.
CREATE TABLE kmsj_client (
  application_id uuid NOT NULL REFERENCES kmsj_application,
  cmid uuid NOT NULL,
  workstation_name text NOT NULL,
  sku_id uuid NOT NULL,
  kms_counted_id uuid NOT NULL,
  license_status integer NOT NULL,
  required_client_count integer NOT NULL,
  remote text,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  request_count bigint NOT NULL CHECK (request_count >= 1),
  in_count boolean NOT NULL,
  workstation_names text[] NOT NULL,
  addresses text[] NOT NULL,
  last_host text NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (application_id, cmid)
);

CREATE INDEX kmsj_client_counted ON kmsj_client (application_id, last_seen) WHERE in_count;
CREATE INDEX kmsj_client_seq ON kmsj_client (seq);
CREATE INDEX kmsj_client_last_seen ON kmsj_client (last_seen);

-- The distinct values seen, oldest first, at most four, v last (ClientRecord.MAX_SEEN).
CREATE FUNCTION kmsj_remember(seen text[], v text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN seen ELSE
    (SELECT coalesce(array_agg(x ORDER BY o), '{}')
       FROM (SELECT x, o FROM unnest(array_remove(seen, v) || v) WITH ORDINALITY AS t(x, o)
              ORDER BY o DESC LIMIT 4) s)
  END
$$;

CREATE FUNCTION kmsj_time(micros bigint) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$ SELECT timestamptz 'epoch' + micros * interval '1 microsecond' $$;

-- Records one batch of counted requests of host p_host, merged per (application, CMID), and returns
-- each application's count at the batch's commit: the distinct CMIDs seen by any host in the 30 days
-- before p_now, at most 2 x the highest N policy (the least recently seen lose their place).
-- Batches are serialised by one transaction-level advisory lock, so they commit in the order of
-- their seq and a reader that follows seq misses nothing.
CREATE FUNCTION kmsj_record(
  p_host text, p_now bigint,
  p_app uuid[], p_cmid uuid[], p_first bigint[], p_last bigint[], p_requests bigint[],
  p_policy integer[], p_max_policy integer[], p_name text[], p_sku uuid[], p_kms uuid[],
  p_status integer[], p_remote text[], p_address text[])
RETURNS TABLE (application_id uuid, client_count integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := kmsj_time(p_now);
  v_seq bigint;
  v_app uuid;
  v_cap integer;
  v_n integer;
BEGIN
  PERFORM pg_advisory_xact_lock(4256985140);
  v_seq := nextval('kmsj_change_seq');
  INSERT INTO kmsj_application AS a (application_id, highest_policy, first_counted)
    SELECT r.app, max(r.policy), v_seq FROM unnest(p_app, p_max_policy) AS r(app, policy)
     GROUP BY r.app ORDER BY r.app
  ON CONFLICT ON CONSTRAINT kmsj_application_pkey DO UPDATE
    SET highest_policy = excluded.highest_policy
    WHERE excluded.highest_policy > a.highest_policy;
  INSERT INTO kmsj_client AS c (application_id, cmid, workstation_name, sku_id, kms_counted_id,
      license_status, required_client_count, remote, first_seen, last_seen, request_count,
      in_count, workstation_names, addresses, last_host, seq)
    SELECT r.app, r.cmid, r.name, r.sku, r.kms, r.status, r.policy, r.remote, kmsj_time(r.first),
           kmsj_time(r.last), r.requests, true, ARRAY[r.name],
           CASE WHEN r.address IS NULL THEN '{}'::text[] ELSE ARRAY[r.address] END, p_host, v_seq
      FROM unnest(p_app, p_cmid, p_first, p_last, p_requests, p_policy, p_name, p_sku, p_kms,
                  p_status, p_remote, p_address)
           AS r(app, cmid, first, last, requests, policy, name, sku, kms, status, remote, address)
  ON CONFLICT ON CONSTRAINT kmsj_client_pkey DO UPDATE SET
    workstation_name = CASE WHEN excluded.last_seen >= c.last_seen
                            THEN excluded.workstation_name ELSE c.workstation_name END,
    sku_id = CASE WHEN excluded.last_seen >= c.last_seen THEN excluded.sku_id ELSE c.sku_id END,
    kms_counted_id = CASE WHEN excluded.last_seen >= c.last_seen
                          THEN excluded.kms_counted_id ELSE c.kms_counted_id END,
    license_status = CASE WHEN excluded.last_seen >= c.last_seen
                          THEN excluded.license_status ELSE c.license_status END,
    required_client_count = CASE WHEN excluded.last_seen >= c.last_seen
                                 THEN excluded.required_client_count
                                 ELSE c.required_client_count END,
    remote = CASE WHEN excluded.last_seen >= c.last_seen AND excluded.remote IS NOT NULL
                  THEN excluded.remote ELSE c.remote END,
    first_seen = least(c.first_seen, excluded.first_seen),
    last_seen = greatest(c.last_seen, excluded.last_seen),
    request_count = c.request_count + excluded.request_count,
    in_count = true,
    workstation_names = kmsj_remember(c.workstation_names, excluded.workstation_name),
    addresses = CASE WHEN cardinality(excluded.addresses) = 0 THEN c.addresses
                     ELSE kmsj_remember(c.addresses, excluded.addresses[1]) END,
    last_host = p_host,
    seq = v_seq;
  FOR v_app IN SELECT DISTINCT x FROM unnest(p_app) AS t(x) ORDER BY x LOOP
    SELECT 2 * greatest(a.highest_policy, 1) INTO v_cap
      FROM kmsj_application a WHERE a.application_id = v_app;
    SELECT count(*) INTO v_n FROM kmsj_client k
     WHERE k.application_id = v_app AND k.in_count AND k.last_seen > v_now - interval '30 days';
    IF v_n > v_cap THEN
      UPDATE kmsj_client k SET in_count = false
       WHERE k.application_id = v_app AND k.cmid IN (
         SELECT e.cmid FROM kmsj_client e
          WHERE e.application_id = v_app AND e.in_count
            AND e.last_seen > v_now - interval '30 days'
          ORDER BY e.last_seen, e.cmid LIMIT v_n - v_cap);
      v_n := v_cap;
    END IF;
    application_id := v_app;
    client_count := v_n;
    RETURN NEXT;
  END LOOP;
  UPDATE kmsj_host h SET last_seen = greatest(h.last_seen, v_now),
         requests = h.requests + (SELECT coalesce(sum(x), 0) FROM unnest(p_requests) AS t(x)),
         commits = h.commits + 1
   WHERE h.host_id = p_host;
END
$$;
