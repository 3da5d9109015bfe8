"""Housing special maintenance funds (住宅专项维修资金): HTTP routes, demo and bench (issue 9)."""
