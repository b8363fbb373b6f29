SELECT merchant, category, sub_category,
       count(*)                AS transaction_count,
       count(DISTINCT card_no) AS unique_customers,
       sum(amount)             AS total_revenue,
       avg(amount)             AS avg_amount,
       rank() OVER (ORDER BY sum(amount) DESC) AS revenue_rank
FROM txn
WHERE approval_status = 'approved'
GROUP BY merchant, category, sub_category
