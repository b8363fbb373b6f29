-- Merchant revenue ranking within each quarter.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.quarterly_merchant_ranking (
  quarter           STRING COMMENT 'Q1..Q4',
  merchant          STRING COMMENT 'merchant name',
  category          STRING COMMENT 'spending category',
  transaction_count BIGINT COMMENT 'approved transactions',
  unique_customers  BIGINT COMMENT 'distinct card numbers',
  total_revenue     BIGINT COMMENT 'sum of amount (KRW)',
  revenue_rank      INT    COMMENT 'rank by total_revenue within the quarter'
)
PARTITIONED BY (txn_year INT COMMENT 'target year of the quarterly batch (one partition per year)')
STORED AS PARQUET
LOCATION 'quarterly_merchant_ranking'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
