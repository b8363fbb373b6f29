-- The original's quarterly_card_type: per quarter and card type, approved transactions.
CREATE VIEW original.quarterly_card_type AS
SELECT q.txn_quarter,
       q.quarter_label,
       card_type,
       transaction_count AS txn_count,
       total_amount,
       round(avg_amount, 0) AS avg_amount,
       txn_year
FROM card_analytics.quarterly_card_type t
JOIN original.quarters q ON q.quarter = t.quarter
