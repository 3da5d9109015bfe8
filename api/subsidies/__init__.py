"""Property-fee subsidies (物业服务费补贴, issue 8): routes, wire types, demo and bench parts."""
