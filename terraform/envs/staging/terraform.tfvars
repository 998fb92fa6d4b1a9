# Staging: the same shape at the smallest size; no deletion protection so it can be torn
# down between uses.
instance_type           = "t4g.micro"
min_size                = 1
max_size                = 1
vpc_cidr                = "10.30.0.0/16"
monthly_budget_usd      = 75
alb_deletion_protection = false
