-- The original's quarter labels, for the quarterly views to join on lakegate's `quarter` (Q1..Q4).
CREATE VIEW original.quarters AS
SELECT 'Q1' AS quarter, 1 AS txn_quarter, 'Q1(1-3월)' AS quarter_label
UNION ALL SELECT 'Q2', 2, 'Q2(4-6월)'
UNION ALL SELECT 'Q3', 3, 'Q3(7-9월)'
UNION ALL SELECT 'Q4', 4, 'Q4(10-12월)'
