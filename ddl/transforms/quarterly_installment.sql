SELECT txn_year, 'Q' || CAST(quarter(transaction_ts) AS STRING) AS quarter, installment_months,
       count(*)    AS transaction_count,
       sum(amount) AS total_amount,
       avg(amount) AS avg_amount
FROM txn
WHERE approval_status = 'approved' AND txn_year = :year
GROUP BY txn_year, 'Q' || CAST(quarter(transaction_ts) AS STRING), installment_months
