-- Every input row (all approval statuses), typed, partitioned by year and month of the transaction.
CREATE EXTERNAL TABLE IF NOT EXISTS card_analytics.partitioned_transactions (
  transaction_id     STRING    COMMENT 'TXN + 10-digit sequence, unique',
  transaction_ts     TIMESTAMP COMMENT 'transaction time, local time as written in the CSV',
  card_no            STRING    COMMENT 'masked card number ****-****-****-NNNN',
  card_type          STRING    COMMENT '신용 (credit) or 체크 (debit)',
  merchant           STRING    COMMENT 'merchant name',
  sub_category       STRING    COMMENT 'merchant sub-category',
  category           STRING    COMMENT 'one of 8 spending categories',
  amount             BIGINT    COMMENT 'amount in KRW',
  installment_months INT       COMMENT '0 = lump sum',
  approval_status    STRING    COMMENT 'approved, declined or cancelled',
  region             STRING    COMMENT 'region of the merchant',
  txn_date           DATE      COMMENT 'calendar day of transaction_ts',
  txn_hour           INT       COMMENT 'hour of day 0-23'
)
COMMENT 'card transactions'
PARTITIONED BY (txn_year INT COMMENT 'year of transaction_ts', txn_month INT COMMENT 'month 1-12')
STORED AS PARQUET
LOCATION 'partitioned_transactions'
TBLPROPERTIES ('parquet.compress'='SNAPPY');
