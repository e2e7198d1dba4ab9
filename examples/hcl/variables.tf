variable "customers" {
  description = "The customer accounts this partner runs, keyed by a short name."
  type = map(object({
    name          = string
    email_domain  = string
    country       = string
    language      = string
    time_zone     = string
    region_code   = string
    branch_name   = string
    seat_limit    = number
    idp_host      = string
    desk_phone    = string
    office        = object({ name = string, line1 = string, city = string, postal_code = string })
    e911_contacts = list(string)
    agents = map(object({
      name       = string
      extension  = string
      outgoing   = string
      supervisor = optional(bool, false)
    }))
  }))
  default = {
    acme = {
      name          = "Acme Support"
      email_domain  = "acme.example"
      country       = "FR"
      language      = "fr"
      time_zone     = "Europe/Paris"
      region_code   = "+33"
      branch_name   = "Acme Support - Lyon"
      seat_limit    = 25
      idp_host      = "idp.acme.example"
      desk_phone    = "80:5e:c0:12:34:56"
      office        = { name = "Lyon office", line1 = "10 Rue de la Republique", city = "Lyon", postal_code = "69002" }
      e911_contacts = ["security@acme.example"]
      agents = {
        alice = { name = "Alice Martin", extension = "1001", outgoing = "enabled", supervisor = true }
        bruno = { name = "Bruno Petit", extension = "1002", outgoing = "per_client" }
      }
    }
    globex = {
      name          = "Globex Contact Center"
      email_domain  = "globex.example"
      country       = "GB"
      language      = "en"
      time_zone     = "Europe/London"
      region_code   = "+44"
      branch_name   = "Globex - Leeds"
      seat_limit    = 10
      idp_host      = "login.globex.example"
      desk_phone    = "80:5e:c0:ab:cd:ef"
      office        = { name = "Leeds office", line1 = "1 Park Row", city = "Leeds", postal_code = "LS1 5AB" }
      e911_contacts = ["facilities@globex.example"]
      agents = {
        carol = { name = "Carol Hughes", extension = "2001", outgoing = "disabled" }
      }
    }
  }
}

variable "webhook_passwords" {
  description = "Password each customer's webhook endpoint expects, keyed like var.customers."
  type        = map(string)
  sensitive   = true
  ephemeral   = true # write-only arguments accept ephemeral values: never in plan or state
}

variable "webhook_password_version" {
  description = "Bump it after changing var.webhook_passwords: write-only values never show in a plan, so this is what tells Terraform to send them again."
  type        = number
  default     = 1
}

variable "idp_certificate" {
  description = "PEM signature certificate of the customers' identity provider."
  type        = string
  default     = <<-EOT
    -----BEGIN CERTIFICATE-----
    MIIBszCCAVmgAwIBAgIUBase64PlaceholderCertificateBody0=
    -----END CERTIFICATE-----
  EOT
}
