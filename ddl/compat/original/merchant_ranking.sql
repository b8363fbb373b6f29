-- The original's merchant_ranking: per merchant, approved transactions. Its revenue_rank was not a
-- rank but the revenue in units of 10,000 won (rounded to one decimal), and so it is here; the rank
-- itself is lakegate's card_analytics.merchant_ranking.revenue_rank.
CREATE VIEW original.merchant_ranking AS
SELECT merchant,
       category,
       sub_category,
       transaction_count AS txn_count,
       unique_customers,
       total_revenue,
       round(avg_amount, 0) AS avg_transaction,
       round(total_revenue / 10000, 1) AS revenue_rank
FROM card_analytics.merchant_ranking
