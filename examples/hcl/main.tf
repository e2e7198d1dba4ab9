# A partner running two customer accounts from one configuration: the same scenario as
# examples/cdktf. `for_each` over accounts works because there is a single provider block.

locals {
  # One entry per agent of every customer, keyed "customer/login".
  agents = merge([
    for customer_key, customer in var.customers : {
      for login, agent in customer.agents : "${customer_key}/${login}" => merge(agent, {
        customer = customer_key
        login    = login
      })
    }
  ]...)
}

resource "telform_account" "customer" {
  for_each = var.customers

  name                = each.value.name
  email               = "admin@${each.value.email_domain}"
  country             = each.value.country
  language            = each.value.language
  time_zone           = each.value.time_zone
  supervision_enabled = true
  national_trunk = {
    enabled     = true
    region_code = each.value.region_code
  }
  emergency_notification_recipients = each.value.e911_contacts
}

resource "telform_sub_account" "branch" {
  for_each = var.customers

  account_id = telform_account.customer[each.key].id
  name       = each.value.branch_name
  seat_limit = each.value.seat_limit
  time_zone  = each.value.time_zone
}

resource "telform_user" "agent" {
  for_each = local.agents

  account_id = telform_sub_account.branch[each.value.customer].id
  name       = each.value.name
  login      = each.value.login
  email      = "${each.value.login}@${var.customers[each.value.customer].email_domain}"
  role       = each.value.supervisor ? "supervisor" : "agent"
  privileges = {
    manual_dial = true
    transfer    = true
    monitor     = each.value.supervisor
  }
  connection_method = {
    type      = "sip_phone"
    extension = each.value.extension
  }
  incoming_calls = {
    mode               = "enabled"
    user_can_configure = false
  }
  outgoing_calls = {
    mode               = each.value.outgoing
    call_method        = each.value.outgoing == "enabled" ? "webphone" : null
    user_can_configure = each.value.outgoing == "enabled"
  }
}

resource "telform_seat" "agent" {
  for_each = local.agents

  account_id = telform_sub_account.branch[each.value.customer].id
  user_id    = telform_user.agent[each.key].id
}

resource "telform_webhook" "events" {
  for_each = var.customers

  account_id = telform_account.customer[each.key].id
  url        = "https://hooks.${each.value.email_domain}/telform"
  authentication = {
    enabled  = true
    login    = "telform"
    password = var.webhook_passwords[each.key]
    # Bump to rotate the password (never sent to the platform; see variables.tf).
    password_wo_version = var.webhook_password_version
  }
  rights = {
    users          = true
    interaction    = true
    voice_campaign = true
    exports        = false
  }
}

resource "telform_sso_connector" "corporate" {
  for_each = var.customers

  account_id                = telform_account.customer[each.key].id
  name                      = "corporate-idp"
  sp_entity_id              = "https://${each.value.idp_host}/saml/metadata"
  idp_signature_certificate = var.idp_certificate
  idp_login_url             = "https://${each.value.idp_host}/saml/login"
  idp_logout_url            = "https://${each.value.idp_host}/saml/logout"
  auto_create_users         = true
}

resource "telform_location" "office" {
  for_each = var.customers

  account_id = telform_sub_account.branch[each.key].id
  name       = each.value.office.name
  e911_address = {
    line1       = each.value.office.line1
    city        = each.value.office.city
    postal_code = each.value.office.postal_code
    country     = each.value.country
  }
  emergency_notification_recipients = ["security@${each.value.email_domain}"]
}

resource "telform_button_template" "reception" {
  for_each = var.customers

  account_id = telform_sub_account.branch[each.key].id
  name       = "Reception"
  keys = [
    { position = 1, type = "line", value = values(each.value.agents)[0].extension, label = "Main" },
    { position = 2, type = "park", value = "701" },
    { position = 3, type = "voicemail" },
  ]
}

resource "telform_device" "reception_phone" {
  for_each = var.customers

  account_id         = telform_sub_account.branch[each.key].id
  mac_address        = each.value.desk_phone
  model              = "yealink-t54w"
  name               = "Reception desk"
  location_id        = telform_location.office[each.key].id
  button_template_id = telform_button_template.reception[each.key].id
  user_id            = telform_user.agent["${each.key}/${keys(each.value.agents)[0]}"].id
}

output "account_ids" {
  description = "telform id of each customer account (what `terraform import` takes)."
  value       = { for key, account in telform_account.customer : key => account.id }
}
