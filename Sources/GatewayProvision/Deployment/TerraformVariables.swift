/// Names of the root module variables the runner sets on the rendered terraform project.
public enum TerraformVariables {
    /// The AMI the Auto Scaling Group launches.
    public static let amiID = "ami_id"
}
