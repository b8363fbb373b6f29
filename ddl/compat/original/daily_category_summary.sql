-- The original's daily_category_summary (its ETL job's output): per day and category, approved
-- transactions. txn_date is text (yyyy-MM-dd) and avg_amount is rounded to whole won, as it wrote them.
CREATE VIEW original.daily_category_summary AS
SELECT CAST(txn_date AS STRING) AS txn_date,
       category,
       transaction_count AS txn_count,
       unique_cards,
       total_amount,
       round(avg_amount, 0) AS avg_amount,
       max_amount,
       min_amount
FROM card_analytics.daily_category_summary
