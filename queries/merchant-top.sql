-- description: The top N merchants by approved revenue.
-- param: n integer optional default=10 min=1 max=100 "how many merchants"
SELECT revenue_rank, merchant, category, sub_category, transaction_count, unique_customers, total_revenue, avg_amount
FROM card_analytics.merchant_ranking
WHERE revenue_rank <= :n
ORDER BY revenue_rank, merchant
