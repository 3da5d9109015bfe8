"""Housing special maintenance funds (住宅专项维修资金): DOMAIN.md §6, issue 9."""
