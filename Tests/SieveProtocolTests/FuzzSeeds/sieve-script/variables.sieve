require ["fileinto","variables"];
if header :matches "subject" "*" { fileinto "${1}"; }
