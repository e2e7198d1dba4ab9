resource "telform_provisioning" "example" {
  account_id           = telform_account.example.id
  phone_admin_password = var.provisioning_phone_admin_password
  rotation_period_days = 90
  rotate_trigger       = "2026-11-22"
}
