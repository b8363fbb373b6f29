SELECT txn_date, category,
       count(*)                AS transaction_count,
       count(DISTINCT card_no) AS unique_cards,
       sum(amount)             AS total_amount,
       avg(amount)             AS avg_amount,
       max(amount)             AS max_amount,
       min(amount)             AS min_amount
FROM txn
WHERE approval_status = 'approved'
GROUP BY txn_date, category
