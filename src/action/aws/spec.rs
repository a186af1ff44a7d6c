//! What an operation is: its names, its input members with the CLI flag
//! that sets each one, and how the CLI pages through it. The operations
//! themselves are defined in `ops`, one service per file.
//!
//! Member names are the API's (`clusterName` for EKS, `RoleName` for IAM);
//! the flag is what the CLI derives from them (`--cluster-name`,
//! `--role-name`).

/// The shape of an input member, as far as the command line needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    String,
    Integer,
    /// A flag without a value: `--preserve` / `--no-preserve`.
    Boolean,
    /// `--x a b c`, repeated flags, or a JSON array.
    StringList,
    /// `--tags k1=v1,k2=v2` or a JSON object.
    StringMap,
    /// A structure: JSON, or the CLI's shorthand (`k=v,k=[a,b],k={…}`),
    /// read by its fields' shapes.
    Struct(&'static [Field]),
    /// A list of structures: JSON, or one shorthand structure per word.
    StructList(&'static [Field]),
}

impl Ty {
    /// Lists and maps, whose repeated flags add up.
    pub fn is_collection(self) -> bool {
        matches!(self, Ty::StringList | Ty::StringMap | Ty::StructList(_))
    }
}

/// A field of a structure, as shorthand is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    /// The API member name: `clusterName`, `RoleName`.
    pub name: &'static str,
    /// The CLI flag without its dashes: `cluster-name`, `role-name`.
    pub flag: &'static str,
    pub ty: Ty,
    pub required: bool,
}

/// How the CLI pages through a list operation (botocore's paginators).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub input_token: &'static str,
    pub output_token: &'static str,
    pub limit_key: &'static str,
    pub result_key: &'static str,
    /// Members printed once, from the first page, after the results
    /// (botocore's `non_aggregate_keys`).
    pub non_aggregate: &'static [&'static str],
}

/// One operation: everything `aws` steps need to parse, check and send it
/// (see `ops`, where each is defined).
pub struct Operation {
    /// The CLI name: `describe-addon`.
    pub name: &'static str,
    /// The API name, as error messages give it: `DescribeAddon`.
    pub api: &'static str,
    pub members: &'static [Member],
    pub paging: Option<Paging>,
    /// How each member is read for its SDK setter, by member name (for the
    /// test that the table and the calls agree).
    pub reads: &'static [(&'static str, &'static str)],
    /// Sends the operation.
    pub send: crate::action::aws::ops::Sender,
}

impl std::fmt::Debug for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Operation")
            .field("name", &self.name)
            .field("api", &self.api)
            .field("members", &self.members)
            .field("paging", &self.paging)
            .finish_non_exhaustive()
    }
}

/// An operation is its API name: there is one definition of each.
impl PartialEq for Operation {
    fn eq(&self, other: &Self) -> bool {
        self.api == other.api && self.name == other.name
    }
}

impl Eq for Operation {}

impl Operation {
    pub fn member(&self, name: &str) -> Option<&'static Member> {
        self.members.iter().find(|m| m.name == name)
    }

    pub fn member_by_flag(&self, flag: &str) -> Option<&'static Member> {
        self.members.iter().find(|m| m.flag == flag)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    Eks,
    Iam,
    Sts,
}

impl Service {
    pub const ALL: [Service; 3] = [Service::Eks, Service::Iam, Service::Sts];

    pub fn name(self) -> &'static str {
        match self {
            Service::Eks => "eks",
            Service::Iam => "iam",
            Service::Sts => "sts",
        }
    }

    pub fn from_name(name: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn operations(self) -> &'static [Operation] {
        match self {
            Service::Eks => crate::action::aws::ops::eks::EKS,
            Service::Iam => crate::action::aws::ops::iam::IAM,
            Service::Sts => crate::action::aws::ops::sts::STS,
        }
    }

    /// An operation by its CLI name; for EKS, `update-kubeconfig` too (the
    /// CLI's own command, not an API operation: see `kubeconfig`).
    pub fn operation(self, name: &str) -> Option<&'static Operation> {
        let update = &crate::action::aws::kubeconfig::UPDATE_KUBECONFIG;
        self.operations()
            .iter()
            .find(|o| o.name == name)
            .or_else(|| (self == Service::Eks && name == update.name).then_some(update))
    }
}

/// A required member.
pub const fn req(name: &'static str, flag: &'static str, ty: Ty) -> Member {
    Member {
        name,
        flag,
        ty,
        required: true,
    }
}

/// An optional member.
pub const fn opt(name: &'static str, flag: &'static str, ty: Ty) -> Member {
    Member {
        name,
        flag,
        ty,
        required: false,
    }
}

/// A field of a structure written in shorthand.
pub const fn field(name: &'static str, ty: Ty) -> Field {
    Field { name, ty }
}
