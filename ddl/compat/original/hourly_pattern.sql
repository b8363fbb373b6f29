-- The original's hourly_pattern: per hour of day, approved transactions, with its Korean time-slot
-- labels: 오전 (06-11), 오후 (12-17), 저녁 (18-23), 심야 (00-05). Hours without an approved
-- transaction have no row, as the original grouped approved rows only.
CREATE VIEW original.hourly_pattern AS
SELECT txn_hour,
       transaction_count AS txn_count,
       total_amount,
       round(avg_amount, 0) AS avg_amount,
       unique_cards,
       CASE time_slot WHEN 'morning' THEN '오전'
                      WHEN 'afternoon' THEN '오후'
                      WHEN 'evening' THEN '저녁'
                      WHEN 'late_night' THEN '심야' END AS time_slot
FROM card_analytics.hourly_pattern
WHERE transaction_count > 0
