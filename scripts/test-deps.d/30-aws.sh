# AWS client tests: botocore computes reference SigV4 signatures; moto server (signature checking on)
# plays AWS; boto3 is used by the moto test fixture. libcurl/libssl headers build the CCurl/COpenSSL shims.
APT_PACKAGES+=(libcurl4-openssl-dev libssl-dev)
PIP_PACKAGES+=("moto[server]>=5.1,<6" "boto3>=1.35" "botocore>=1.35")
