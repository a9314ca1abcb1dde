//! Typed, validated records and the enumerations of the data contract.

use crate::time::Instant;
use serde::Serialize;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $text)] $variant,)* }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The allowed values as listed in messages.
            pub const ALLOWED: &'static str = concat!($($text, " "),*);
            /// The value as written in the data contract.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text,)* } }
            /// Parse the contract's spelling.
            pub fn parse(s: &str) -> Option<Self> { match s { $($text => Some($name::$variant),)* _ => None } }
        }
    };
}

string_enum!(/// A table of the export.
    Table {
    /// `customers`
    Customers = "customers", /// `orders`
    Orders = "orders", /// `contacts`
    Contacts = "contacts", /// `complaints`
    Complaints = "complaints", /// `promises`
    Promises = "promises", /// `feedback`
    Feedback = "feedback", /// `deliveries`
    Deliveries = "deliveries", /// `snoozes`
    Snoozes = "snoozes",
});

string_enum!(/// Who started a contact.
    Direction { /// From the customer.
    Inbound = "inbound", /// To the customer.
    Outbound = "outbound" });

string_enum!(/// The channel of a contact.
    Channel { /// Phone call.
    Call = "call", /// E-mail.
    Email = "email", /// Chat.
    Chat = "chat", /// Meeting.
    Meeting = "meeting", /// Visit.
    Visit = "visit", /// Letter.
    Letter = "letter" });

string_enum!(/// The outcome of a call.
    CallStatus { /// Someone took it.
    Answered = "answered", /// Nobody took it.
    Missed = "missed", /// The caller left a message.
    Voicemail = "voicemail" });

string_enum!(/// Severity of a complaint or of a flag, in ascending order.
    Severity { /// Low.
    Low = "low", /// Medium.
    Medium = "medium", /// High.
    High = "high", /// Critical.
    Critical = "critical" });

string_enum!(/// What a complaint is about.
    Category { /// Delivery.
    Delivery = "delivery", /// Documentation.
    Documentation = "documentation", /// Billing.
    Billing = "billing", /// Product.
    Product = "product", /// Service.
    Service = "service", /// Anything else.
    Other = "other" });

string_enum!(/// The survey a feedback answer belongs to.
    FeedbackKind { /// Net Promoter Score question, 0–10.
    Nps = "nps", /// Customer satisfaction, 1–5.
    Csat = "csat", /// Customer effort ("easy to handle"), 1–7.
    Ces = "ces" });

string_enum!(/// What went wrong with a delivery.
    Problem { /// Came late.
    Late = "late", /// Damaged.
    Damaged = "damaged", /// Wrong item.
    WrongItem = "wrong_item", /// Papers missing or wrong.
    Documentation = "documentation", /// Never arrived in full.
    Missing = "missing" });

string_enum!(/// The kinds of neglect Tend detects.
    NeglectKind {
    /// An inbound contact nobody returned.
    UnreturnedContact = "unreturned_contact",
    /// A promise past its due date and not kept.
    BrokenPromise = "broken_promise",
    /// A complaint without a first response in time.
    ComplaintNoResponse = "complaint_no_response",
    /// A complaint not resolved in time.
    ComplaintOverdue = "complaint_overdue",
    /// An open complaint without an outbound contact for too long.
    ComplaintNoUpdate = "complaint_no_update",
    /// No outbound contact for longer than the tier's cadence.
    NoOutreach = "no_outreach",
    /// No feedback asked for or received for too long.
    NoFeedback = "no_feedback",
    /// A delivery late, or a problem delivery nobody followed up.
    DeliveryFailure = "delivery_failure",
});

impl FeedbackKind {
    /// The allowed score range.
    pub fn range(self) -> (u8, u8) {
        match self {
            FeedbackKind::Nps => (0, 10),
            FeedbackKind::Csat => (1, 5),
            FeedbackKind::Ces => (1, 7),
        }
    }
}

impl Severity {
    /// One step more severe (critical stays critical).
    pub fn raised(self) -> Severity {
        match self {
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            _ => Severity::Critical,
        }
    }
}

/// A customer. Other records refer to it by its position in [`Dataset::customers`].
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Customer {
    pub id: String,
    pub name: Option<String>,
    pub owner: Option<String>,
    pub created_at: Option<Instant>,
    pub segment: Option<String>,
    /// The referring customer's position, when it exists.
    pub referred_by: Option<usize>,
}

/// An order (or a refund, with a negative amount).
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Order {
    pub id: String,
    pub customer: usize,
    pub at: Instant,
    pub amount: f64,
    pub refund: bool,
}

/// A contact between the business and a customer.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Contact {
    pub id: String,
    pub customer: usize,
    pub at: Instant,
    pub direction: Direction,
    pub channel: Channel,
    pub status: Option<CallStatus>,
    pub owner: Option<String>,
}

impl Contact {
    /// An inbound contact needs a return unless it was a call that was answered.
    pub fn needs_return(&self) -> bool {
        self.direction == Direction::Inbound
            && !(self.channel == Channel::Call && self.status == Some(CallStatus::Answered))
    }
}

/// A complaint.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Complaint {
    pub id: String,
    pub customer: usize,
    pub opened_at: Instant,
    pub severity: Severity,
    pub category: Option<Category>,
    pub first_response_at: Option<Instant>,
    pub resolved_at: Option<Instant>,
}

/// A promise made to a customer.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Promise {
    pub id: String,
    pub customer: usize,
    pub made_at: Instant,
    pub due_at: Instant,
    pub kept_at: Option<Instant>,
    pub owner: Option<String>,
    pub text: Option<String>,
}

/// One survey answer.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Feedback {
    pub id: String,
    pub customer: usize,
    pub at: Instant,
    pub kind: FeedbackKind,
    pub score: u8,
    pub comment: Option<String>,
}

/// A delivery.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Delivery {
    pub id: String,
    pub customer: usize,
    pub promised_at: Instant,
    pub delivered_at: Option<Instant>,
    pub problem: Option<Problem>,
}

/// A known reason to wait: silences matching flags while `asOf` is before `until`.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Snooze {
    pub customer: usize,
    pub until: Instant,
    pub reason: String,
    /// The kinds silenced; `None` silences all.
    pub kinds: Option<Vec<NeglectKind>>,
}

impl Snooze {
    /// Whether this snooze silences a flag of `kind` at `as_of`.
    pub fn silences(&self, kind: NeglectKind, as_of: Instant) -> bool {
        as_of < self.until && self.kinds.as_ref().is_none_or(|k| k.contains(&kind))
    }
}

/// All accepted records.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(missing_docs)]
pub struct Dataset {
    pub customers: Vec<Customer>,
    pub orders: Vec<Order>,
    pub contacts: Vec<Contact>,
    pub complaints: Vec<Complaint>,
    pub promises: Vec<Promise>,
    pub feedback: Vec<Feedback>,
    pub deliveries: Vec<Delivery>,
    pub snoozes: Vec<Snooze>,
}
