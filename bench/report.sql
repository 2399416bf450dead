-- bench/report.sql - the plain-SQL counterpart of `qm report` that `make bench`
-- times against it (see bench/run.sh and docs/benchmarks.md).
--
-- It runs on the table the sqlite3 shell makes with
--   .mode csv
--   .import FILE pledges_raw
-- from a pledges CSV: every column TEXT, blanks as ''. It applies the same
-- defaults and filters as qm (status 'announced', cost_type 'in-kind' with an
-- item else 'purchase', channel 'bilateral'; records dated after today left
-- out; cancelled pledges left out of everything but the status table) and the
-- same groupings, but sums the stated amount as written, in whatever currency
-- it is in. qm's report instead sums EUR values that its import computed
-- (ECB rate of the pledge date, or quantity x the item's converted unit
-- price), joins parties, items, GDP, rates, deliveries and requirements, and
-- runs the `qm check` findings; none of that has a counterpart here.

.headers on
.mode list

-- totals: pledges not cancelled
SELECT count(*) AS pledges, sum(CAST(amount AS REAL)) AS amount
FROM pledges_raw
WHERE date <= date('now') AND coalesce(nullif(status, ''), 'announced') <> 'cancelled';

-- by status (all statuses)
SELECT coalesce(nullif(status, ''), 'announced') AS status, count(*) AS pledges,
	sum(CAST(amount AS REAL)) AS amount
FROM pledges_raw
WHERE date <= date('now')
GROUP BY 1
ORDER BY CASE coalesce(nullif(status, ''), 'announced') WHEN 'committed' THEN 1 WHEN 'announced' THEN 2 ELSE 3 END;

-- top 10 donors
SELECT donor, count(*) AS pledges, sum(CAST(amount AS REAL)) AS amount
FROM pledges_raw
WHERE date <= date('now') AND coalesce(nullif(status, ''), 'announced') <> 'cancelled'
GROUP BY donor
ORDER BY 3 DESC, 1
LIMIT 10;

-- by cost type
SELECT coalesce(nullif(cost_type, ''), CASE WHEN item <> '' THEN 'in-kind' ELSE 'purchase' END)
	AS cost_type, count(*) AS pledges, sum(CAST(amount AS REAL)) AS amount
FROM pledges_raw
WHERE date <= date('now') AND coalesce(nullif(status, ''), 'announced') <> 'cancelled'
GROUP BY 1
ORDER BY 3 DESC, 1;

-- by channel
SELECT coalesce(nullif(channel, ''), 'bilateral') AS channel, count(*) AS pledges,
	sum(CAST(amount AS REAL)) AS amount
FROM pledges_raw
WHERE date <= date('now') AND coalesce(nullif(status, ''), 'announced') <> 'cancelled'
GROUP BY 1
ORDER BY 3 DESC, 1;

-- pledged quantity per item
SELECT item, count(*) AS pledges, sum(CAST(quantity AS INTEGER)) AS pledged
FROM pledges_raw
WHERE item <> '' AND date <= date('now')
	AND coalesce(nullif(status, ''), 'announced') <> 'cancelled'
GROUP BY item
ORDER BY item;
