-- kmsj cluster state, version 2: the cluster's count history, the highest count answered on each UTC
-- day per application (as the ledger keeps per host), bumped by kmsj_record at the same commit.

CREATE TABLE kmsj_daily_count (
  application_id uuid NOT NULL REFERENCES kmsj_application ON DELETE CASCADE,
  day date NOT NULL,
  highest_count integer NOT NULL CHECK (highest_count >= 0),
  PRIMARY KEY (application_id, day)
);

-- Records one batch of counted requests (see V1), and raises the day's highest count of each
-- application it counted.
CREATE OR REPLACE FUNCTION kmsj_record(
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
    INSERT INTO kmsj_daily_count AS d (application_id, day, highest_count)
      VALUES (v_app, (v_now AT TIME ZONE 'UTC')::date, v_n)
    ON CONFLICT ON CONSTRAINT kmsj_daily_count_pkey DO UPDATE
      SET highest_count = excluded.highest_count WHERE excluded.highest_count > d.highest_count;
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
