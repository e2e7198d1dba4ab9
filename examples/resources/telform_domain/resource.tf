resource "telform_domain" "example" {
  account_id = telform_account.example.id
  kind       = "allowed_user"
  name       = "acme.example"
}
