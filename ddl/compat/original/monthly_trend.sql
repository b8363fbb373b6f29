-- The original's monthly_trend: per year and month, approved transactions.
CREATE VIEW original.monthly_trend AS
SELECT txn_year,
       txn_month,
       transaction_count AS txn_count,
       total_amount,
       round(avg_amount, 0) AS avg_amount,
       unique_cards,
       unique_merchants
FROM card_analytics.monthly_trend
