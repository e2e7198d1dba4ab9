resource "telform_security_policy" "example" {
  account_id               = telform_account.example.id
  two_factor_required      = true
  max_user_inactivity_days = 90
  max_login_attempts       = 5
  password_validity_days   = 90
}
