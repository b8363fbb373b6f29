-- description: Quarter totals of the quarterly batch with quarter-over-quarter growth.
-- param: year integer required min=1970 max=2999 "target year of the quarterly batch"
SELECT txn_year, quarter, transaction_count, total_amount, avg_amount, unique_cards, qoq_growth_pct
FROM card_analytics.quarterly_summary
WHERE txn_year = :year
ORDER BY quarter
