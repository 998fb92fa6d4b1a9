# Production size. Release values (colour, AMIs, version) and account-specific settings
# are passed by the pipeline; see docs/infrastructure.md.
instance_type      = "t4g.micro"
min_size           = 1
max_size           = 3
vpc_cidr           = "10.20.0.0/16"
monthly_budget_usd = 90
