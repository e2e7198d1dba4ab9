resource "telform_account" "example" {
  name      = "Acme Support"
  email     = "admin@acme.example"
  country   = "FR"
  language  = "fr"
  time_zone = "Europe/Paris"
  password_expiration = {
    enabled = true
    days    = 90
  }
  supervision_enabled          = true
  head_of_line_number          = "+33180000000"
  original_number_presentation = false
  national_trunk = {
    enabled     = true
    region_code = "+33"
  }
}
