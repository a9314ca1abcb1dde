//! Typed, validated records and the enumerations of the data contract.

use super::strings::{Own, Owners, Str, Strings};
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

/// A row position in its table.
pub type Slot = u32;

/// The customer slot of a removed row.
pub const DEAD: u32 = u32::MAX;

/// How a customer's `referredBy` reads.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Referral {
    /// None given.
    #[default]
    None,
    /// Not a usable id (the value, quoted for the warning).
    Invalid(Box<str>),
    /// Another customer's id (it may not exist: then a warning, and no link).
    Id(Str),
}

/// A customer. Other records refer to it by its slot in [`Dataset::customers`].
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Customer {
    pub id: Str,
    pub name: Option<Str>,
    pub owner: Option<Own>,
    pub created_at: Option<Instant>,
    pub segment: Option<Str>,
    pub referral: Referral,
    /// Whether the slot holds a customer (removed customers leave an empty slot).
    pub alive: bool,
}

/// An order (or a refund, with a negative amount).
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub struct Order {
    pub id: Str,
    pub customer: Slot,
    pub at: Instant,
    pub amount: f64,
    pub refund: bool,
}

/// A contact between the business and a customer.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub struct Contact {
    pub id: Str,
    pub customer: Slot,
    pub at: Instant,
    pub direction: Direction,
    pub channel: Channel,
    pub status: Option<CallStatus>,
    pub owner: Option<Own>,
}

impl Contact {
    /// An inbound contact needs a return unless it was a call that was answered.
    pub fn needs_return(&self) -> bool {
        self.direction == Direction::Inbound
            && !(self.channel == Channel::Call && self.status == Some(CallStatus::Answered))
    }
}

/// A complaint.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub struct Complaint {
    pub id: Str,
    pub customer: Slot,
    pub opened_at: Instant,
    pub severity: Severity,
    pub category: Option<Category>,
    pub first_response_at: Option<Instant>,
    pub resolved_at: Option<Instant>,
}

/// A promise made to a customer.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub struct Promise {
    pub id: Str,
    pub customer: Slot,
    pub made_at: Instant,
    pub due_at: Instant,
    pub kept_at: Option<Instant>,
    pub owner: Option<Own>,
    pub text: Option<Str>,
}

/// One survey answer.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub struct Feedback {
    pub id: Str,
    pub customer: Slot,
    pub at: Instant,
    pub kind: FeedbackKind,
    pub score: u8,
    pub comment: Option<Str>,
}

/// A delivery.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub struct Delivery {
    pub id: Str,
    pub customer: Slot,
    pub promised_at: Instant,
    pub delivered_at: Option<Instant>,
    pub problem: Option<Problem>,
}

/// A known reason to wait: silences matching flags while `asOf` is before `until`. Its `id` is
/// optional (given, an update can replace or remove it).
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub struct Snooze {
    pub id: Option<Str>,
    pub customer: Slot,
    pub until: Instant,
    pub reason: Str,
    /// The kinds silenced, one bit per [`NeglectKind`]; every bit set silences all.
    pub kinds: u16,
}

/// Every neglect kind's bit.
pub const ALL_KINDS: u16 = u16::MAX;

impl Snooze {
    /// Whether this snooze silences a flag of `kind` at `as_of`.
    pub fn silences(&self, kind: NeglectKind, as_of: Instant) -> bool {
        as_of < self.until && self.kinds & (1 << kind as u16) != 0
    }
}

/// A row of a table other than `customers`, stored by slot; a removed row stays as a tombstone
/// (customer [`DEAD`]) until its slot is reused.
pub trait Record: Sized + Copy {
    /// The table.
    const TABLE: Table;
    /// The customer's slot ([`DEAD`] for a removed row).
    fn customer(&self) -> Slot;
    /// The instant that orders a customer's rows and makes a row `future`.
    fn key_time(&self) -> Instant;
    /// The id (`None` for a snooze without one).
    fn id(&self) -> Option<Str>;
    /// Set the id.
    fn set_id(&mut self, id: Str);
    /// Mark as removed.
    fn kill(&mut self);
    /// The table's rows.
    fn rows(d: &Dataset) -> &Vec<Self>;
    /// The table's rows, to change.
    fn rows_mut(d: &mut Dataset) -> &mut Vec<Self>;
    /// Ties of key time are broken by this: the id's text (for snoozes the reason, then the
    /// kinds).
    fn tie(&self, other: &Self, d: &Dataset) -> std::cmp::Ordering;
}

macro_rules! record {
    ($t:ty, $table:expr, $time:ident, $field:ident) => {
        impl Record for $t {
            const TABLE: Table = $table;
            fn customer(&self) -> Slot {
                self.customer
            }
            fn key_time(&self) -> Instant {
                self.$time
            }
            fn id(&self) -> Option<Str> {
                Some(self.id)
            }
            fn set_id(&mut self, id: Str) {
                self.id = id;
            }
            fn kill(&mut self) {
                self.customer = DEAD;
            }
            fn rows(d: &Dataset) -> &Vec<Self> {
                &d.$field
            }
            fn rows_mut(d: &mut Dataset) -> &mut Vec<Self> {
                &mut d.$field
            }
            fn tie(&self, other: &Self, d: &Dataset) -> std::cmp::Ordering {
                d.s(self.id).cmp(d.s(other.id))
            }
        }
    };
}

record!(Order, Table::Orders, at, orders);
record!(Contact, Table::Contacts, at, contacts);
record!(Complaint, Table::Complaints, opened_at, complaints);
record!(Promise, Table::Promises, made_at, promises);
record!(Feedback, Table::Feedback, at, feedback);
record!(Delivery, Table::Deliveries, promised_at, deliveries);

impl Record for Snooze {
    const TABLE: Table = Table::Snoozes;
    fn customer(&self) -> Slot {
        self.customer
    }
    fn key_time(&self) -> Instant {
        self.until
    }
    fn id(&self) -> Option<Str> {
        self.id
    }
    fn set_id(&mut self, id: Str) {
        self.id = Some(id);
    }
    fn kill(&mut self) {
        self.customer = DEAD;
    }
    fn rows(d: &Dataset) -> &Vec<Self> {
        &d.snoozes
    }
    fn rows_mut(d: &mut Dataset) -> &mut Vec<Self> {
        &mut d.snoozes
    }
    fn tie(&self, other: &Self, d: &Dataset) -> std::cmp::Ordering {
        d.s(self.reason).cmp(d.s(other.reason)).then(self.kinds.cmp(&other.kinds))
    }
}

/// A record of any table but `customers` (what the loader handles without a copy of its code
/// per table).
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub enum Rec {
    Order(Order),
    Contact(Contact),
    Complaint(Complaint),
    Promise(Promise),
    Feedback(Feedback),
    Delivery(Delivery),
    Snooze(Snooze),
}

impl Rec {
    /// Its customer.
    pub fn customer(&self) -> Slot {
        match self {
            Rec::Order(r) => r.customer,
            Rec::Contact(r) => r.customer,
            Rec::Complaint(r) => r.customer,
            Rec::Promise(r) => r.customer,
            Rec::Feedback(r) => r.customer,
            Rec::Delivery(r) => r.customer,
            Rec::Snooze(r) => r.customer,
        }
    }

    /// Set its id.
    pub fn set_id(&mut self, id: Str) {
        match self {
            Rec::Order(r) => r.set_id(id),
            Rec::Contact(r) => r.set_id(id),
            Rec::Complaint(r) => r.set_id(id),
            Rec::Promise(r) => r.set_id(id),
            Rec::Feedback(r) => r.set_id(id),
            Rec::Delivery(r) => r.set_id(id),
            Rec::Snooze(r) => r.set_id(id),
        }
    }
}

/// All records: the tables by slot, and the text they refer to.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(missing_docs)]
pub struct Dataset {
    pub strings: Strings,
    pub owners: Owners,
    pub customers: Vec<Customer>,
    pub orders: Vec<Order>,
    pub contacts: Vec<Contact>,
    pub complaints: Vec<Complaint>,
    pub promises: Vec<Promise>,
    pub feedback: Vec<Feedback>,
    pub deliveries: Vec<Delivery>,
    pub snoozes: Vec<Snooze>,
}

impl Dataset {
    /// The text of a string.
    #[inline(always)]
    pub fn s(&self, x: Str) -> &str {
        self.strings.get(x)
    }

    /// The text of an optional string.
    pub fn opt(&self, x: Option<Str>) -> Option<&str> {
        x.map(|x| self.strings.get(x))
    }

    /// An owner's name.
    pub fn owner(&self, o: Option<Own>) -> Option<&str> {
        o.map(|o| self.owners.name(o))
    }

    /// A customer's id.
    pub fn customer_id(&self, c: usize) -> &str {
        self.customers.get(c).map_or("", |x| self.strings.get(x.id))
    }

    /// Append a record to its table (a load: slots follow input order); returns its slot.
    pub fn push(&mut self, rec: Rec) -> Slot {
        fn put<R>(v: &mut Vec<R>, r: R) -> Slot {
            v.push(r);
            (v.len() - 1) as Slot
        }
        match rec {
            Rec::Order(r) => put(&mut self.orders, r),
            Rec::Contact(r) => put(&mut self.contacts, r),
            Rec::Complaint(r) => put(&mut self.complaints, r),
            Rec::Promise(r) => put(&mut self.promises, r),
            Rec::Feedback(r) => put(&mut self.feedback, r),
            Rec::Delivery(r) => put(&mut self.deliveries, r),
            Rec::Snooze(r) => put(&mut self.snoozes, r),
        }
    }

    /// Reserve room for `n` more rows of table `t`, or (`n` = 0) give back the unused room.
    pub fn reserve(&mut self, t: Table, n: usize) {
        fn room<R>(v: &mut Vec<R>, n: usize) {
            if n == 0 {
                v.shrink_to_fit();
            } else {
                let _ = v.try_reserve(n);
            }
        }
        match t {
            Table::Customers => room(&mut self.customers, n),
            Table::Orders => room(&mut self.orders, n),
            Table::Contacts => room(&mut self.contacts, n),
            Table::Complaints => room(&mut self.complaints, n),
            Table::Promises => room(&mut self.promises, n),
            Table::Feedback => room(&mut self.feedback, n),
            Table::Deliveries => room(&mut self.deliveries, n),
            Table::Snoozes => room(&mut self.snoozes, n),
        }
    }

    /// Mark the row in `slot` of table `t` removed.
    pub fn kill(&mut self, t: Table, slot: Slot) {
        let i = slot as usize;
        match t {
            Table::Customers => {
                if let Some(c) = self.customers.get_mut(i) {
                    c.alive = false;
                }
            }
            Table::Orders => self.orders.get_mut(i).map_or((), Record::kill),
            Table::Contacts => self.contacts.get_mut(i).map_or((), Record::kill),
            Table::Complaints => self.complaints.get_mut(i).map_or((), Record::kill),
            Table::Promises => self.promises.get_mut(i).map_or((), Record::kill),
            Table::Feedback => self.feedback.get_mut(i).map_or((), Record::kill),
            Table::Deliveries => self.deliveries.get_mut(i).map_or((), Record::kill),
            Table::Snoozes => self.snoozes.get_mut(i).map_or((), Record::kill),
        }
    }

    /// The id of a row of a table (customers by slot too); `None` for a snooze without one.
    pub fn row_id(&self, t: Table, slot: Slot) -> Option<&str> {
        let i = slot as usize;
        let id = match t {
            Table::Customers => self.customers.get(i).map(|r| r.id),
            Table::Orders => self.orders.get(i).map(|r| r.id),
            Table::Contacts => self.contacts.get(i).map(|r| r.id),
            Table::Complaints => self.complaints.get(i).map(|r| r.id),
            Table::Promises => self.promises.get(i).map(|r| r.id),
            Table::Feedback => self.feedback.get(i).map(|r| r.id),
            Table::Deliveries => self.deliveries.get(i).map(|r| r.id),
            Table::Snoozes => self.snoozes.get(i).and_then(|r| r.id),
        };
        id.map(|x| self.strings.get(x))
    }
}
