output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 range of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT instance), one per AZ."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (application instances), one per AZ."
  value       = aws_subnet.private[*].id
}

output "nat_public_ip" {
  description = "Public IPv4 address all outbound traffic leaves from (allow-list it at Supabase or Bland if needed)."
  value       = aws_instance.nat.public_ip
}
