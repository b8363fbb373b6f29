-- The original's quarterly_installment: per quarter and number of installments, the approved
-- transactions paid in installments (lump sums, 0 months, are left out as it left them out).
CREATE VIEW original.quarterly_installment AS
SELECT q.txn_quarter,
       q.quarter_label,
       installment_months,
       transaction_count AS txn_count,
       total_amount,
       txn_year
FROM card_analytics.quarterly_installment t
JOIN original.quarters q ON q.quarter = t.quarter
WHERE installment_months > 0
