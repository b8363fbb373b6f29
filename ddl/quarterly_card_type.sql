-- Approved transactions per quarter and card type.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.quarterly_card_type (
  quarter           STRING COMMENT 'Q1..Q4',
  card_type         STRING COMMENT '신용 or 체크',
  transaction_count BIGINT COMMENT 'approved transactions',
  total_amount      BIGINT COMMENT 'sum of amount (KRW)',
  avg_amount        DOUBLE COMMENT 'average amount (KRW)'
)
PARTITIONED BY (txn_year INT COMMENT 'target year of the quarterly batch (one partition per year)')
STORED AS PARQUET
LOCATION 'quarterly_card_type'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
