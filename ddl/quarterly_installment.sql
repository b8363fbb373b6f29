-- Approved transactions per quarter and installment plan.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.quarterly_installment (
  quarter           STRING COMMENT 'Q1..Q4',
  installment_months INT   COMMENT '0 = lump sum',
  transaction_count BIGINT COMMENT 'approved transactions',
  total_amount      BIGINT COMMENT 'sum of amount (KRW)',
  avg_amount        DOUBLE COMMENT 'average amount (KRW)'
)
PARTITIONED BY (txn_year INT COMMENT 'target year of the quarterly batch (one partition per year)')
STORED AS PARQUET
LOCATION 'quarterly_installment'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
