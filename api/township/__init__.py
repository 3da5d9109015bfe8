"""Township statements (乡镇汇总报表, issue 10): every community of a township side by side, and the totals."""
