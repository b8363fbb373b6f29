-- The original's regional_analysis: per region and category, approved transactions.
CREATE VIEW original.regional_analysis AS
SELECT region,
       category,
       transaction_count AS txn_count,
       total_amount,
       round(avg_amount, 0) AS avg_amount,
       unique_cards
FROM card_analytics.regional_analysis
