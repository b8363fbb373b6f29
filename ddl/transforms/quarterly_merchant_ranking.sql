SELECT txn_year, 'Q' || CAST(quarter(transaction_ts) AS STRING) AS quarter, merchant, category,
       count(*)                AS transaction_count,
       count(DISTINCT card_no) AS unique_customers,
       sum(amount)             AS total_revenue,
       rank() OVER (PARTITION BY 'Q' || CAST(quarter(transaction_ts) AS STRING) ORDER BY sum(amount) DESC) AS revenue_rank
FROM txn
WHERE approval_status = 'approved' AND txn_year = :year
GROUP BY txn_year, 'Q' || CAST(quarter(transaction_ts) AS STRING), merchant, category
