-- Approved transactions per hour of day; cancel_rate is over all statuses in that hour.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.hourly_pattern (
  txn_hour          INT    COMMENT 'hour of day 0-23',
  time_slot         STRING COMMENT 'morning 06-11, afternoon 12-17, evening 18-23, late_night 00-05',
  transaction_count BIGINT COMMENT 'approved transactions',
  total_amount      BIGINT COMMENT 'sum of amount (KRW)',
  avg_amount        DOUBLE COMMENT 'average amount (KRW)',
  unique_cards      BIGINT COMMENT 'distinct card numbers',
  credit_ratio      DOUBLE COMMENT 'percent of approved transactions on credit cards',
  cancel_rate       DOUBLE COMMENT 'percent of all transactions in the hour that were cancelled'
)
STORED AS PARQUET
LOCATION 'hourly_pattern'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
