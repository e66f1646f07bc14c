terraform {
  backend "s3" {
    bucket         = "mediaco-terraform-state"
    key            = "gateway/staging/terraform.tfstate"
    region         = "eu-central-1"
    encrypt        = true
    dynamodb_table = "terraform-locks"
  }
}
