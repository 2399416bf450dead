-- bench/report_pg.sql - bench/report.sql for psql: the plain-SQL counterpart
-- of `qm report` that bench/run_pg.sh times against it on PostgreSQL.
--
-- It runs on the table psql's \copy makes from a pledges CSV (every column
-- TEXT, blanks as NULL), with the same defaults, filters and groupings as
-- bench/report.sql (see there for what qm's report does besides).

-- totals: pledges not cancelled
SELECT count(*) AS pledges, sum(CASE WHEN amount ~ '^[0-9.]+$' THEN amount::numeric END) AS amount
FROM pledges_raw
WHERE date <= current_date::text AND coalesce(nullif(status, ''), 'announced') <> 'cancelled';

-- by status (all statuses)
SELECT coalesce(nullif(status, ''), 'announced') AS status, count(*) AS pledges,
	sum(CASE WHEN amount ~ '^[0-9.]+$' THEN amount::numeric END) AS amount
FROM pledges_raw
WHERE date <= current_date::text
GROUP BY 1
ORDER BY CASE coalesce(nullif(status, ''), 'announced') WHEN 'committed' THEN 1 WHEN 'announced' THEN 2 ELSE 3 END;

-- top 10 donors
SELECT donor, count(*) AS pledges, sum(CASE WHEN amount ~ '^[0-9.]+$' THEN amount::numeric END) AS amount
FROM pledges_raw
WHERE date <= current_date::text AND coalesce(nullif(status, ''), 'announced') <> 'cancelled'
GROUP BY donor
ORDER BY 3 DESC NULLS LAST, 1
LIMIT 10;

-- by cost type
SELECT coalesce(nullif(cost_type, ''), CASE WHEN item <> '' THEN 'in-kind' ELSE 'purchase' END)
	AS cost_type, count(*) AS pledges, sum(CASE WHEN amount ~ '^[0-9.]+$' THEN amount::numeric END) AS amount
FROM pledges_raw
WHERE date <= current_date::text AND coalesce(nullif(status, ''), 'announced') <> 'cancelled'
GROUP BY 1
ORDER BY 3 DESC NULLS LAST, 1;

-- by channel
SELECT coalesce(nullif(channel, ''), 'bilateral') AS channel, count(*) AS pledges,
	sum(CASE WHEN amount ~ '^[0-9.]+$' THEN amount::numeric END) AS amount
FROM pledges_raw
WHERE date <= current_date::text AND coalesce(nullif(status, ''), 'announced') <> 'cancelled'
GROUP BY 1
ORDER BY 3 DESC NULLS LAST, 1;

-- pledged quantity per item
SELECT item, count(*) AS pledges, sum(CAST(quantity AS bigint)) AS pledged
FROM pledges_raw
WHERE item <> '' AND date <= current_date::text
	AND coalesce(nullif(status, ''), 'announced') <> 'cancelled'
GROUP BY item
ORDER BY item;
