SELECT txn_hour,
       CASE WHEN txn_hour BETWEEN 6 AND 11 THEN 'morning'
            WHEN txn_hour BETWEEN 12 AND 17 THEN 'afternoon'
            WHEN txn_hour BETWEEN 18 AND 23 THEN 'evening'
            ELSE 'late_night' END                                      AS time_slot,
       count(*) FILTER (WHERE approval_status = 'approved')                    AS transaction_count,
       sum(amount) FILTER (WHERE approval_status = 'approved')                 AS total_amount,
       avg(amount) FILTER (WHERE approval_status = 'approved')                 AS avg_amount,
       count(DISTINCT card_no) FILTER (WHERE approval_status = 'approved')     AS unique_cards,
       100 * CAST(count(*) FILTER (WHERE approval_status = 'approved' AND card_type = '신용') AS DOUBLE)
           / NULLIF(count(*) FILTER (WHERE approval_status = 'approved'), 0)   AS credit_ratio,
       100 * CAST(count(*) FILTER (WHERE approval_status = 'cancelled') AS DOUBLE)
           / NULLIF(count(*), 0)                                       AS cancel_rate
FROM txn
GROUP BY txn_hour
