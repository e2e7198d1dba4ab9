# By the id telform assigned (the `id` attribute):
terraform import telform_button_template.example button_template_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the button template by its account's platform id and its own, as the vendor's console shows them.
terraform import telform_button_template.example platform:acc-3/button-template-42
