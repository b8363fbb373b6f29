-- The original's quarterly_category_summary (quarterly batch, one folder per year; here txn_year):
-- per quarter and category, approved transactions, with its quarter labels Q1(1-3월) .. Q4(10-12월).
CREATE VIEW original.quarterly_category_summary AS
SELECT q.txn_quarter,
       q.quarter_label,
       category,
       transaction_count AS txn_count,
       total_amount,
       round(avg_amount, 0) AS avg_amount,
       unique_cards,
       txn_year
FROM card_analytics.quarterly_category_summary t
JOIN original.quarters q ON q.quarter = t.quarter
