-- description: Approved transactions per month of a year with month-over-month growth.
-- param: year integer required min=1970 max=2999 "calendar year"
SELECT txn_year, txn_month, transaction_count, total_amount, avg_amount, unique_cards, unique_merchants, mom_growth_pct
FROM card_analytics.monthly_trend
WHERE txn_year = :year
ORDER BY txn_month
