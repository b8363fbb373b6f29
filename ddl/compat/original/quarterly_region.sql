-- The original's quarterly_region: per quarter and region, approved transactions.
CREATE VIEW original.quarterly_region AS
SELECT q.txn_quarter,
       q.quarter_label,
       region,
       transaction_count AS txn_count,
       total_amount,
       txn_year
FROM card_analytics.quarterly_region t
JOIN original.quarters q ON q.quarter = t.quarter
