-- The original's partitioned_transactions: the approved transactions only (lakegate's table keeps
-- declined and cancelled ones too), with the CSV's columns as it read them and its derived ones.
-- txn_day_of_week is 1 (Sunday) to 7 (Saturday); transaction_date and txn_date are text.
CREATE VIEW original.partitioned_transactions AS
SELECT transaction_id,
       date_format(transaction_ts, 'yyyy-MM-dd HH:mm:ss') AS transaction_date,
       card_no,
       card_type,
       merchant,
       sub_category,
       category,
       amount,
       installment_months,
       approval_status,
       region,
       transaction_ts,
       CAST(txn_date AS STRING) AS txn_date,
       txn_hour,
       dayofweek(transaction_ts) AS txn_day_of_week,
       txn_year,
       txn_month
FROM card_analytics.partitioned_transactions
WHERE approval_status = 'approved'
