resource "telform_sso_connector" "example" {
  account_id                = telform_account.example.id
  name                      = "acme"
  sp_entity_id              = "https://idp.acme.example/saml/metadata"
  idp_signature_certificate = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUBase64PlaceholderCertificateBody0=\n-----END CERTIFICATE-----\n"
  idp_login_url             = "https://idp.acme.example/saml/login"
  idp_logout_url            = "https://idp.acme.example/saml/logout"
  auto_create_users         = true
  auto_create_groups        = false
}
